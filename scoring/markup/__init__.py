"""schema.org markup: extraction and repair into one graph, the page's node, vocabulary, validation and
consistency with the visible page."""
