-- Exact Online projects as analytical axes, renamed and cast (activity is left to start_date/end_date).
{{ exact_online_analytical_axis('projects', 'project', start_date='start_date', end_date='end_date') }}
