{#- Static lineage check of the models that compute the CTR model's features (every model whose
    name starts int_ad_features, and the ML marts): each window frame must end at "1 preceding"
    (a frame reaching the current row or later lets the row's own day into a feature), no
    feature column may be named after spend, cost or delivery outcomes, and the feature models
    may not read spend, cost, reach or frequency at all. One row per violation. -#}
{%- set violations = [] -%}
{%- set nodes = graph.nodes.values() if execute and graph is defined else [] -%}
{%- set forbidden = '\\b(spend|cpm|cpc|cost\\w*|reach|frequency|cac)\\b' -%}
{%- set prefixes = ('int_ad_features', 'ml_ctr_') -%}
{%- for node in nodes if node.resource_type == 'model' and node.name.startswith(prefixes) -%}
{%- set code = node.raw_code | lower -%}
{%- set frame_end = '(?:rows|range)\\s+between\\s+.+?\\s+and\\s+(current\\s+row|\\S+\\s+(?:preceding|following))' -%}
{%- for frame in modules.re.findall(frame_end, code) -%}
{%- if modules.re.sub('\\s+', ' ', frame) != '1 preceding' -%}
{%- do violations.append(node.name ~ ': a window frame ends at ' ~ frame) -%}
{%- endif -%}
{%- endfor -%}
{%- if node.name.startswith('int_ad_features') and modules.re.search(forbidden, code) -%}
{%- do violations.append(node.name ~ ': reads ' ~ modules.re.search(forbidden, code).group(0)) -%}
{%- endif -%}
{%- for column in node.columns if column.startswith('f_') or column.startswith('fc_') -%}
{%- if modules.re.search(forbidden, column) -%}
{%- do violations.append(node.name ~ ': feature ' ~ column ~ ' is named after spend or delivery') -%}
{%- endif -%}
{%- endfor -%}
{%- endfor -%}

with

checks as (
    select cast(null as {{ dbt.type_string() }}) as violation
    {%- for violation in violations %}
    union all
    select '{{ violation | replace("'", "") }}' as violation
    {%- endfor %}
),

final as (
    select violation
    from checks
    where violation is not null
)

select * from final
