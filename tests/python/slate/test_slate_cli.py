"""``aelp slate`` and ``aelp simulate`` share one set of slate knobs."""

from __future__ import annotations

from click.testing import CliRunner

from aelp.cli.main import main
from aelp.slate import SlateConfig
from aelp.slate.commands import slate_config


def test_knobs_given_on_the_command_line_override_the_config_and_others_keep_it() -> None:
    config = slate_config(
        SlateConfig(),
        {"exploit_share": 0.95, "explore_ads": 2, "max_explore_share": 0.06, "top_k": None},
    )
    assert (config.exploit_share, config.explore_ads, config.max_explore_share) == (0.95, 2, 0.06)
    assert config.top_k == SlateConfig().top_k


def test_slate_command_takes_the_simulation_knobs_and_rejects_bad_ones_before_any_query() -> None:
    runner = CliRunner()
    help_text = runner.invoke(main, ["slate", "--help"]).output
    for knob in ("--exploit-share", "--explore-ads", "--max-explore-share", "--top-k"):
        assert knob in help_text
    bad = runner.invoke(main, ["slate", "--budget", "100", "--max-explore-share", "2"])
    assert bad.exit_code == 2
    assert bad.output == (
        "aelp slate: error: invalid value for '--max-explore-share': "
        "'2' is not a finite number >= 0 and <= 1\n"
    )
