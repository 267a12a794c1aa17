"""Published, updated and reviewed dates: where they are found (extract) and how written dates read (text)."""
