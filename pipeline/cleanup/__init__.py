"""Cleaning model output: repeated items, items that echo the prompt, stray scripts, thinned lists."""
