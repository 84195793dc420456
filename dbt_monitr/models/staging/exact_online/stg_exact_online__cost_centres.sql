-- Exact Online cost centres as analytical axes, renamed and cast.
{{ exact_online_analytical_axis('cost_centers', 'cost_centre', is_active='active') }}
