-- A scan the gate could not read (a typo, an empty field, a malformed QR) is an ERROR the guard
-- retries, recorded apart from real denials; the day counters' "denied" keeps counting DENY only.
alter table gate_scan drop constraint gate_scan_decision_check;
alter table gate_scan add constraint gate_scan_decision_check check (decision in ('ALLOW', 'DENY', 'ERROR'));
update gate_scan set decision = 'ERROR'
where decision = 'DENY' and reason in ('gate.deny.badTime', 'gate.deny.direction', 'gate.deny.plate', 'gate.deny.idInvalid',
                                       'gate.deny.noIdentity', 'gate.deny.passMalformed', 'gate.deny.temperatureUnreadable',
                                       'gate.deny.temperatureImplausible');
