-- Exact Online cost units as analytical axes, renamed and cast (Exact has no active flag for them).
{{ exact_online_analytical_axis('cost_units', 'cost_unit') }}
