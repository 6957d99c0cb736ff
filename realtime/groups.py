"""Channel-layer group names: the audiences an event can go to.

Names are built from database ids only, never from client text, so they always pass
channels' group-name validation.
"""


def workshop_group(workshop_id: int) -> str:
    """Everyone connected to a workshop: phones and big screens."""
    return f"workshop.{workshop_id}"


def screen_group(workshop_id: int) -> str:
    """Big screens and facilitators: presence and, later, moderation and hidden tallies."""
    return f"workshop.{workshop_id}.screen"
