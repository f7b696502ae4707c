"""The bundled rule base: data, not code. Shipped as ``advisor.bundled_rules``."""
