"""Answerers: extractive (offline default) and LLM-backed; shared citation checks and conflict detection."""
