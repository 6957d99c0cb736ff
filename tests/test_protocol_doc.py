"""docs/protocol.md names every command and every server message the code defines."""

from pathlib import Path

from realtime.commands import AnyCommand
from realtime.events import SERVER_MESSAGE_TYPES

DOC = (Path(__file__).resolve().parents[1] / "docs" / "protocol.md").read_text()


def test_every_server_message_type_is_documented():
    for message_class in SERVER_MESSAGE_TYPES:
        type_name = message_class.model_fields["type"].default
        assert f'"type": "{type_name}"' in DOC, f"{type_name} is missing from docs/protocol.md"


def test_every_command_type_is_documented():
    union = AnyCommand.__origin__.__args__  # type: ignore[attr-defined]
    for command_class in union:
        type_name = command_class.model_fields["type"].annotation.__args__[0]
        assert f"| `{type_name}` |" in DOC, f"{type_name} is missing from docs/protocol.md"
