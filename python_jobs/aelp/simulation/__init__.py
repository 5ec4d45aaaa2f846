"""Replay budget policies day by day in the sample world before trusting them with money.

The world's own rate model is the truth (:mod:`aelp.simulation.environment`); policies
(uniform, greedy, the Thompson slate of :mod:`aelp.slate`, an oracle) split the same
daily budget and learn from delayed feedback (:mod:`aelp.simulation.feedback`);
:func:`run_simulation` compares their conversions, CAC and regret over seeds, and
:mod:`aelp.simulation.ope` estimates a slate's conversions from logged delivery.
Command line: ``aelp simulate`` and ``aelp bench slate`` (:mod:`aelp.simulation.commands`);
nothing heavy is imported here, so the command line starts fast.
"""
