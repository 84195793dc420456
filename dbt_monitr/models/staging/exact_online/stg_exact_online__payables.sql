-- Exact Online open payables: purchase invoices not yet fully paid (payables_list snapshot), renamed and cast.
{{ exact_online_open_items('payables_list', 'payable') }}
