"""The sandbox's own product type definitions (JSON files); `build` writes them."""
