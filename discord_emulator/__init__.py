"""A local Discord API emulator (REST v10 + gateway) for tests, benchmarks and the offline demo."""

from discord_emulator.actors import Fan
from discord_emulator.server import Emulator
from discord_emulator.state import Interaction, SentMessage

__all__ = ["Emulator", "Fan", "Interaction", "SentMessage"]
