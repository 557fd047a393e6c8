-- Which agents a stack is associated with (behaviour §4), in one place for target state, the
-- agent's stack list and stack deletion. The union of explicit targets, label matches and exact
-- annotation matches; the latter two only for stacks whose generator the agent is registered
-- with. Deleted stacks and agents are not filtered here: callers decide (a stack being deleted
-- must still find its agents). Filters on agent_id or stack_id are pushed into every branch.
CREATE VIEW stack_agent_associations AS
SELECT t.agent_id, t.stack_id
FROM agent_targets t
UNION
SELECT al.agent_id, sl.stack_id
FROM agent_labels al
JOIN stack_labels sl ON sl.label = al.label
JOIN stacks s ON s.id = sl.stack_id
JOIN agent_generator_registrations r ON r.agent_id = al.agent_id AND r.generator_id = s.generator_id
UNION
SELECT aa.agent_id, sa.stack_id
FROM agent_annotations aa
JOIN stack_annotations sa ON sa.key = aa.key AND sa.value = aa.value
JOIN stacks s ON s.id = sa.stack_id
JOIN agent_generator_registrations r ON r.agent_id = aa.agent_id AND r.generator_id = s.generator_id;

-- Target state walks from an agent's labels and annotations to the stacks that carry them:
-- covering indexes keep that walk to index-only lookups (the planner otherwise merge-joins the
-- whole label index). They supersede the single-purpose indexes of 0006.
CREATE INDEX stack_labels_label_stack ON stack_labels (label, stack_id);
DROP INDEX stack_labels_label;
CREATE INDEX stack_annotations_key_value_stack ON stack_annotations (key, value, stack_id);
DROP INDEX stack_annotations_key_value;
