"""kzrehab: model, evaluate and track Kazakhstan's laws on rehabilitation of victims of
political repression."""

__version__ = "0.1.0"
