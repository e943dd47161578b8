"""Builders of the reference seeds in dbt_project/seeds/reference/ from public files."""
