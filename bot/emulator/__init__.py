"""A local Discord API emulator (REST v10 + gateway) for tests, benchmarks and the offline demo."""

from bot.emulator.actors import Fan
from bot.emulator.server import Emulator
from bot.emulator.state import Interaction, SentMessage

__all__ = ["Emulator", "Fan", "Interaction", "SentMessage"]
