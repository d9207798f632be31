package org.fangxian.registry.internal;

import java.util.List;
import java.util.Map;

/** The header of a roster: where it was found and how its columns map to fields. */
public record RosterSheet(int headerRowNumber, List<String> headers, Map<Integer, RosterField> mapping,
		List<String> unmappedHeaders) {
}
