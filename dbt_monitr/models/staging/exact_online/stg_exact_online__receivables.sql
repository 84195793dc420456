-- Exact Online open receivables: sales invoices not yet fully paid (receivables_list snapshot), renamed and cast.
{{ exact_online_open_items('receivables_list', 'receivable') }}
