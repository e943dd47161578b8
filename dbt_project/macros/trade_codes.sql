{# The HS edition in force on 1 January of a year (WCO: HS1992 ... HS2022, HS2028 from 2028).
   Used where a source publishes codes "as reported" without naming the edition: countries
   adopt a new edition in its first year, with a few late adopters (hs_version_inferred). #}
{% macro hs_edition_in_force(year) -%}
    case
        when {{ year }} >= 2028 then 'HS2028'
        when {{ year }} >= 2022 then 'HS2022'
        when {{ year }} >= 2017 then 'HS2017'
        when {{ year }} >= 2012 then 'HS2012'
        when {{ year }} >= 2007 then 'HS2007'
        when {{ year }} >= 2002 then 'HS2002'
        when {{ year }} >= 1996 then 'HS1996'
        else 'HS1992'
    end
{%- endmacro %}

{# Comtrade classification codes H0 ... H6 name the HS edition; "HS" (as reported) or none:
   the edition in force in the year. #}
{% macro comtrade_hs_version(classification, year) -%}
    case upper({{ classification }})
        when 'H0' then 'HS1992'
        when 'H1' then 'HS1996'
        when 'H2' then 'HS2002'
        when 'H3' then 'HS2007'
        when 'H4' then 'HS2012'
        when 'H5' then 'HS2017'
        when 'H6' then 'HS2022'
        else {{ hs_edition_in_force(year) }}
    end
{%- endmacro %}

{# HS codes have an even number of digits; one read as a number lost its leading zero. #}
{% macro padded_hs_code(code) -%}
    case
        when regexp_full_match(trim({{ code }}), '[0-9]+') and length(trim({{ code }})) % 2 = 1
            then '0' || trim({{ code }})
        else trim({{ code }})
    end
{%- endmacro %}
