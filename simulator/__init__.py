"""voice-roleplay: an offline voice role-play simulator for practising client encounters."""

__version__ = "0.1.0"
