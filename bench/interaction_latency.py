"""Figure 2: time from the emulator sending INTERACTION_CREATE to receiving the bot's callback, for
/quiz start, /fact and /leaderboard show, through discord.py's real gateway and HTTP code."""

from __future__ import annotations

import asyncio

from common import args, bot_world, report, summary


async def run(n: int) -> list[dict[str, object]]:
    rows = []
    async with bot_world(channels=max(n, 1)) as (emu, bot, guilds):
        guild = guilds[0]
        fan = emu.member(guild, "Bench")
        channels = list(guild.channels.values())
        cases = {
            "/fact": lambda i: fan.slash("fact"),
            "/leaderboard show": lambda i: fan.slash("leaderboard show"),
            "/quiz start": lambda i: fan.slash(
                "quiz start", questions=1, seconds=120, in_channel=channels[i]
            ),
        }
        for name, action in cases.items():
            for _ in range(3):  # warm-up
                await fan.slash("fact")
            times = []
            for i in range(n):
                inter = await action(i)
                times.append((inter.callback_at - inter.sent_at) * 1000)
            rows.append({"command": name, **summary(times), "goal_ms": 15.0, "discord_deadline_ms": 3000.0})
        for ch in channels:  # stop the quizzes
            running = bot.get_cog("Quiz").running.get(ch.id)  # type: ignore[union-attr]
            if running:
                running.game.stop()
        await asyncio.sleep(0.2)
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_ms"]
    return rows


def main() -> None:
    opts = args(__doc__ or "")
    n = 10 if opts.smoke else 200
    rows = asyncio.run(run(n))
    print(f"{n} interactions per command; milliseconds\n")
    report("interaction_latency", rows, {"per_command": n}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
