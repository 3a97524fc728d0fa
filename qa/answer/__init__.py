"""Answering a question: route it, answer from facts, analyses, retrieval or the LLM, verify."""
from qa.answer.route import ask

__all__ = ["ask"]
