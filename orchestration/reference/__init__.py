"""Reference data shared by the parsers, the dbt project and screening.

One country table (``data/ref_country_codes.csv``) behind one resolver (:mod:`.countries`, and
:mod:`.areas` for the areas trade statistics name), and one EUR/USD table
(``data/ref_fx_eur_usd_monthly.csv``, :mod:`.fx`). dbt loads the same two files as the seeds
``ref_country_codes`` and ``ref_fx_eur_usd_monthly``: ``dbt_project.yml`` lists ``data/`` among
its seed paths, so there is no second copy to drift.
"""

from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")
