-- Comext relational-view exports in the shape shared by the Comext layouts (typed flow and
-- procedure columns are flow_1 and stat_procedure_1 beside the publisher's labels).
{{ comext_layout('relational_view', 3, flow='flow_1', stat_procedure='stat_procedure_1') }}
