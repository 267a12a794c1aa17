"""The page: one parse (model), its main content, blocks, links and text index; word tokenising (text)."""
