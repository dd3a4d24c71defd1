"""The published figures the synthetic population is calibrated to (``sources.md`` §E).

:data:`CALIBRATION` lists the archetypes of the synthetic population with the number of
people each stands for and where that number was published; the documentation renders it.
Shares inside an archetype that no source gives are assumptions, and each record's note
says so.
"""

from __future__ import annotations

__all__ = ["Calibration", "CALIBRATION", "DESTINATIONS", "TOTAL_WEIGHT"]

import attrs


@attrs.frozen
class Calibration:
    """One archetype of the synthetic population and the published figure behind it."""

    #: the archetype, also the prefix of its claim ids
    archetype: str
    #: the number of people it stands for; shares of the population are proportional
    weight: float
    #: the figure, as published
    figure: str
    #: where the figure was published (an address, or a citation when there is none)
    source: str
    #: how the weight and the archetype's facts follow from the figure, and what is assumed
    note: str

    @property
    def share(self) -> float:
        """This archetype's share of the population."""
        return self.weight / TOTAL_WEIGHT


_INBUSINESS = (
    "https://inbusiness.kz/ru/last/"
    "skolko-vyplatili-zhertvam-politicheskih-repressij-v-kazahstane-v-vide-socpodderzhki"
)
_FAMINE = "https://en.wikipedia.org/wiki/Kazakh_famine_of_1930%E2%80%931933"
_KAZNU = "https://bulletin-history.kaznu.kz"
_ALZHIR = "https://museum-alzhir.kz/ru/o-muzee/istoriya-lagerya-alzhira"
_DEC1986 = "https://konspektum.ru/read/perestroyka-v-kazahstane.html?page=10"
_JAN2022 = (
    "https://thediplomat.com/2023/01/kazakhstan-impunity-persists-after-torture-during-bloody-january/"
)
_COMMISSION = (
    "https://en.inform.kz/news/"
    "kazakhstan-declassifies-24mln-archival-cards-of-political-repression-victims-215ec7/"
)
_SILKWAY = "https://silkwaytv.kz/en/kazakhstan-counts-victims-of-political-repression-and-famine_42215"
_UNVERIFIED = "sources.md §E, marked unverified (no address)"

#: Refugees of 1930-1933 by destination. China: ~315,000-350,000 (midpoint 332,500, cited
#: by Ablazhei) of 665,000-1.1 million (midpoint 882,500, _FAMINE), so 0.377. The other
#: destinations are those listed at _KAZNU; how the remaining 0.623 divides between them is
#: not published and is assumed here.
DESTINATIONS: tuple[tuple[str, float], ...] = (
    ("CN", 332_500 / 882_500),
    ("UZ", 0.200),
    ("RU", 0.180),
    ("KG", 0.100),
    ("TM", 0.060),
    ("MN", 0.040),
    ("IR", 0.023),
    ("AF", 1.0 - 332_500 / 882_500 - 0.603),
)

_CONVICTED = "~100,000 convicted in Kazakhstan 1921-1954, of them ~25,000 executed"
_REFUGEES = (
    "665,000-1.1 million refugees fled abroad or to other republics in 1930-1933, "
    "~315,000-350,000 of them to China"
)
_DEPORTED = "~1.2 million people of deported peoples sent to Kazakhstan"

#: The archetypes, their weights (people) and the figures they come from (sources.md §E).
CALIBRATION: tuple[Calibration, ...] = (
    # 100,000 convicted less 25,000 executed less the 40 Alash members below (_INBUSINESS)
    Calibration(
        "soviet-convicted", 100_000 - 25_000 - 40, _CONVICTED, _INBUSINESS,
        "convicted, not executed: 100,000 - 25,000 - 40 (Alash, apart). Political motive "
        "mostly (also religious, national, scientific, creative); court, troika or central "
        "Union body; RSFSR art. 58; 35% arrested in 1937-1938 (assumed); sentence later "
        "quashed for most, the rest convicted or unknown",
    ),
    # the executed (_INBUSINESS); the Great Terror share is an assumption
    Calibration(
        "soviet-executed", 25_000, _CONVICTED, _INBUSINESS,
        "executed; 80% in the Great Terror, August 1937 - November 1938 (share assumed), "
        "sentenced by troikas or central Union bodies; claimed by heirs",
    ),
    # "more than 40 people of the Alash political movement were arrested, convicted and
    # exiled" (State Commission, Astana Times interview; sources.md §B)
    Calibration(
        "alash", 40, "more than 40 members of the Alash movement arrested, convicted, exiled",
        "Astana Times, 2023-06-01, State Commission interview (sources.md §B)",
        "national motive, OGPU Collegium or NKVD, exile outside Kazakhstan; half executed "
        "in 1937-1938 (assumed); counted within the 100,000 convicted",
    ),
    # ALZhIR held more than 18,000 wives of "traitors to the motherland" (_ALZHIR)
    Calibration(
        "alzhir", 18_000, ">18,000 women held in ALZhIR as wives of 'traitors'", _ALZHIR,
        "imprisoned as family members (as_family_member) by the NKVD Special Board, "
        "1938-1946, most from outside Kazakhstan; claimed by children and grandchildren",
    ),
    # >311,000 rehabilitated by the Commission (_COMMISSION) less the convicted and ALZhIR
    Calibration(
        "exile-special-settler", 311_000 - 100_000 - 18_000,
        ">311,000 victims rehabilitated by the State Commission", _COMMISSION,
        "assumption: the rehabilitated less the ~100,000 convicted and ~18,000 ALZhIR "
        "prisoners, taken as administrative exiles and special settlers (the Commission "
        "published no breakdown); 1929-1953",
    ),
    # no figure in sources.md: peasant campaigns are a line of the Commission's work
    Calibration(
        "dekulakised", 100_000,
        "none published; peasant campaigns are a line of the State Commission's work",
        _SILKWAY,
        "assumption: the order of the convicted, until a figure is published. "
        "Collectivisation 1929-1933: confiscation, dekulakisation, deportation, special "
        "settlement, forced sedentarisation of nomads, procurement; class motive",
    ),
    # deported peoples (sources.md §E, unverified)
    Calibration(
        "deported-koreans", 100_000, "Koreans ~100,000 (1937)", _UNVERIFIED,
        "deportation-of-peoples from the Far East (RU) to KZ in autumn 1937, then special "
        "settlement; national motive; deported as family members often",
    ),
    Calibration(
        "deported-germans", 400_000, "Germans ~400,000 (1941)", _UNVERIFIED,
        "deportation-of-peoples from the Volga (RU) to KZ in autumn 1941, special "
        "settlement to 1955, labour army for 40% (assumed); a third of claimants live in "
        "Germany (assumed)",
    ),
    Calibration(
        "deported-chechens-ingush", 400_000, "Chechens and Ingush ~400,000 (1944)",
        _UNVERIFIED,
        "deportation-of-peoples from the North Caucasus (RU) to KZ in February 1944, "
        "special settlement to 1956; most claimants live in Russia (assumed)",
    ),
    # 1.2 million deported to Kazakhstan (_INBUSINESS) less the three peoples above
    Calibration(
        "deported-other", 1_200_000 - 900_000, _DEPORTED, _INBUSINESS,
        "the remainder after Koreans, Germans, Chechens and Ingush; years 1936-1949",
    ),
    # ~1.5 million famine deaths, the lower end of 1.5-2.3 million (_FAMINE)
    Calibration(
        "famine-death", 1_500_000, "~1.5 million famine deaths in 1930-1933 (1.5-2.3 million)",
        _FAMINE,
        "the lower end of the range; procurement, sedentarisation and confiscation before "
        "death; claimed by grandchildren and further descendants",
    ),
    # refugees: midpoint 882,500 of 665,000-1.1 million (_FAMINE); 30% have descendants in KZ
    Calibration(
        "famine-flight", 0.30 * 882_500, _REFUGEES, _FAMINE,
        "refugees whose descendants live in Kazakhstan (returnees, kandas): 30% of the "
        "midpoint 882,500 (share assumed). Destinations: China 0.377 (~332,500 of 882,500, "
        "cited by Ablazhei), the rest between Uzbekistan, Russia, Kyrgyzstan, Turkmenistan, "
        f"Mongolia, Iran and Afghanistan ({_KAZNU}; shares assumed)",
    ),
    # ... and 70% have descendants abroad (the refugees' bill: "more than one million
    # forced refugees and their descendants residing outside of Kazakhstan")
    Calibration(
        "refugee-descendants-abroad", 0.70 * 882_500, _REFUGEES, _FAMINE,
        "descendants living abroad, of Kazakh origin: 70% of the midpoint 882,500 (share "
        "assumed); destinations as for famine-flight; some families moved on from China, "
        "Iran and Afghanistan to Turkey (shares assumed)",
    ),
    # ~8,500 detained, 99 criminal cases (_DEC1986)
    Calibration(
        "december-1986", 8_500, "~8,500 detained / 99 criminal cases", _DEC1986,
        "detention for all; prosecution for 99/8,500 (a sixth of those for murder or an "
        "attack on police, assumed); dismissal or expulsion for a fifth (assumed)",
    ),
    # ~9,900 detained, 243 torture cases opened, >=190 tortured (NGO count) (_JAN2022)
    Calibration(
        "january-2022", 9_900,
        "~9,900 detained / 243 torture cases opened / >=190 tortured (NGO count)", _JAN2022,
        "detention for all; torture (KZ-CC-146) for 243/9,900; criminal charges for 60% "
        "(assumed), amnesty under Law No. 152-VII of 2 Nov 2022 except terrorism charges",
    ),
    # no count published in sources.md; Freedom Now interviewed eleven
    Calibration(
        "prisoner-of-conscience", 1_000,
        "none published; Freedom Now interviewed 11 former prisoners of conscience",
        "Freedom Now, 'Duty to Rehabilitate' (sources.md §A2, §C)",
        "assumption: the order of magnitude. Criminal conviction served, parole or pardon; "
        "admission of guilt signed for release for 40%; UN decision for 20% (assumed)",
    ),
)  # fmt: skip

TOTAL_WEIGHT = sum(c.weight for c in CALIBRATION)

