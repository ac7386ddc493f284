"""Feedback after each exchange: what the trainee reads, built from the scores.

``compose`` orders harm, praise and suggestions (``give_feedback``); ``suggestions`` picks the
example reply a suggestion carries; ``phrasing`` builds examples from the client's own words;
``perspective`` turns the client's sentence round to "you". Scoring never imports this package.
"""

from simulator.feedback.compose import give_feedback, say_again

__all__ = ["give_feedback", "say_again"]
