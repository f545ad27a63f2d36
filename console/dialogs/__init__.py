"""What the console pushes over a view: questions, word editors, the big join QR; one per file."""
