{#- A regular expression (a SQL string literal) as DuckDB's RE2 reads it, rewritten for Java's
    java.util.regex, which Spark uses:
    - \p{Name}: RE2 takes a script or category bare (\p{Cyrillic}, \p{P}); Java wants the
      prefix Is for a script and accepts it for a category (\p{IsCyrillic}, \p{IsP});
    - POSIX classes ([:punct:] inside brackets): Java spells them \p{Punct}, the same ASCII sets;
    - \b: a boundary between ASCII word characters ([0-9A-Za-z_]) in RE2, while Java 17's \b
      also counts other letters as word characters: spelled out with lookarounds;
    and then as a Spark literal (spark_literal). Only for the spark__ macros of this folder. -#}
{% macro spark_regex(literal) -%}
    {%- set java = namespace(text=literal | replace('\\p{', '\\p{Is')) -%}
    {%- for posix, name in [('alpha', 'Alpha'), ('digit', 'Digit'), ('alnum', 'Alnum'),
                            ('upper', 'Upper'), ('lower', 'Lower'), ('punct', 'Punct'),
                            ('space', 'Space')] -%}
        {%- set java.text = java.text | replace('[:' ~ posix ~ ':]', '\\p{' ~ name ~ '}') -%}
    {%- endfor -%}
    {%- set word = '[0-9A-Za-z_]' -%}
    {%- set java.text = java.text | replace('\\b', '(?:(?<!' ~ word ~ ')(?=' ~ word ~ ')|(?<='
                                              ~ word ~ ')(?!' ~ word ~ '))') -%}
    {{ spark_literal(java.text) }}
{%- endmacro %}
