"""The robustness suite: fuzzing, model-derived requests, a stateful search oracle, threads, faults."""
