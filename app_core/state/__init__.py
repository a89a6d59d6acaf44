"""Each page's state: one frozen object per page that round-trips through the URL (see `codec`)."""
