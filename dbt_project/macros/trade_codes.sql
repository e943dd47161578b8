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
        when {{ regexp_full_match('trim(' ~ code ~ ')', "'[0-9]+'") }}
            and length(trim({{ code }})) % 2 = 1
            then '0' || trim({{ code }})
        else trim({{ code }})
    end
{%- endmacro %}


{# The precision a product code was published at (fct_trade_flows.product_level): TOTAL (all
   goods), HS2 chapter, HS4 heading, HS6 subheading, CN8 (Comext's Combined Nomenclature),
   NAT (another national line of 7 to 12 digits), OTHER (a publisher's non-numeric code such as
   confidential or unallocated trade). #}
{% macro trade_product_level(code, digits, source) -%}
    case
        when upper({{ code }}) = 'TOTAL' then 'TOTAL'
        when {{ digits }} = 2 then 'HS2'
        when {{ digits }} = 4 then 'HS4'
        when {{ digits }} = 6 then 'HS6'
        when {{ digits }} = 8 and {{ source }} = 'comext' then 'CN8'
        when {{ digits }} between 7 and 12 then 'NAT'
        else 'OTHER'
    end
{%- endmacro %}


{# A row's vintage (docs/metrics.md "Vintages"): the publication or extraction date the file
   states, else its release folder (trade/<source>/<YYYY-MM-DD>/), else the day it was loaded;
   vintage_basis says which. #}
{% macro trade_vintage(in_file, release_date, loaded_at) -%}
    coalesce({{ in_file }}, {{ release_date }}, cast({{ loaded_at }} as date))
{%- endmacro %}

{% macro trade_vintage_basis(in_file, release_date, loaded_at) -%}
    case
        when {{ in_file }} is not null then 'file'
        when {{ release_date }} is not null then 'release_folder'
        when {{ loaded_at }} is not null then 'load_date'
    end
{%- endmacro %}
