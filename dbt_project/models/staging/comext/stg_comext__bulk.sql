-- Comext bulk files in the shape shared by the Comext layouts; STAT_PROCEDURE is a code (1
-- normal trade, 2 inward and 3 outward processing ...), never TOTAL: the procedures are parts of
-- the total. DuckDB names the typed flow and procedure columns flow_1 and stat_procedure_1
-- beside the publisher's FLOW and STAT_PROCEDURE.
{{ comext_layout('bulk', 1, flow='flow_1', stat_procedure='stat_procedure_1',
                 quantity='quantity_kg') }}
