"""Yuki (Visma; NL and BE): an access key -> SOAP session, GL transactions in fiscal-year windows,
the chart, projects, periods and open items, within a daily call budget.

Sources (each assumption is named where it is used): API_FACTS.md section 6 (Yuki: hosts,
namespace, Authenticate, sessionID/sessionId per service, methods and their parameters, the
1,000 calls a day, credit negative, XML inside result strings); public clients found by code
search: a Go Yuki client's tests (Administrations, GetGLAccountScheme with `descripton` and
numeric type/subtype, GLAccountBalance with BalanceType B/W), a Rust client's parser tests
(TransactionInfo: id, transactionDate, description, transactionAmount, currency, glAccountCode),
a TypeScript connector (GetTransactionDetails with GLAccountCode '' for all accounts,
financialMode 0, fullName, documentReference, documentType; a lone record arriving as an object;
OutstandingDebtorItems' parameters), BertMaurau/yuki-php-wrapper (InvalidSessionIDException).

Assumptions (not found in any source): the wording of Yuki's faults (stale session, bad access
key, no access to an administration, budget spent) beyond their subject; startRecord being
1-based and numberOfRecords' maximum (1,000); the documentID, contactCode, projectCode and
vatCode fields of TransactionInfo, and matchDocumentID and matchType (Debtor, Creditor) as the
fields of its documentmatching data group (the data group's name is Yuki's); Administrations'
Country and StartDate; GetPeriodDateTable(sessionID, administrationID, yearID: the year's
number; API_FACTS names yearID only) answering <Period> Year/PeriodNumber/StartDate/EndDate;
fiscal years being calendar years; opening balances being transactions of type 'Opening balance'
on 1 January.

Open-item history (stg_yuki__outstanding_item_history) comes from the GL lines' matching: every
debtor or creditor line with the document it is matched with, opened on its date and settled on
the last date of its matching group once the group nets to zero; no extra call. Yuki's
Outstanding...ItemsByDateOutstanding is not used for it: it answers the items open on one date,
one call per date and side against the domain's 1,000 calls a day, and snapshots would bound a
settlement to the snapshot dates only. The open items of now are OutstandingDebtorItems and
OutstandingCreditorItems.
"""

from monitr_pipeline.providers.yuki.adapter import YukiAdapter
from monitr_pipeline.providers.yuki.session import AccessKeyAuth, AccessKeyRejected
from monitr_pipeline.providers.yuki.spec import SPEC

ADAPTER = YukiAdapter()

__all__ = ["ADAPTER", "SPEC", "AccessKeyAuth", "AccessKeyRejected", "YukiAdapter"]
