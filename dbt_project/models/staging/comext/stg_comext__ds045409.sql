-- DS-045409 cells in the shape shared by the Comext layouts.
{{ comext_layout('ds045409', 2) }}
