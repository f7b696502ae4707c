"""advisor: rules-based capacity and risk advice for civil-society organisations."""

__version__ = "0.1.0"
