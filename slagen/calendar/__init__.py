"""Business time: the ``Calendar`` of a clock (``clock``: elapsed and due, scalar and vectorised),
the UTC offsets of a zone over time (``zone_offsets``) and how a locale writes dates, times and
zones (``locale_style``)."""
