"""Channel-layer group names.

Names are built from database ids only, never from client text, so they always pass
channels' group-name validation.
"""


def workshop_group(workshop_id: int) -> str:
    """The hubs (realtime.fanout) of every server process with sockets on the workshop.

    Each message says its audience (everyone, or screens only); the hubs route it.
    """
    return f"workshop.{workshop_id}"
