"""Learned heads of the hybrid scorer: numpy weights trained by ``benchmarks/train_heads.py``."""
