"""`qa eval`: gold questions, scores, the CI gate."""
