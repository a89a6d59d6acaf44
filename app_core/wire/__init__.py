"""The custom components' wire formats, both directions: each module is the Python half of one component's JS."""
