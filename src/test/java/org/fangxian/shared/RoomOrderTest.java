package org.fangxian.shared;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoomOrderTest {

	@Test
	void floorsComeBeforeDoorsNotTextOrder() {
		List<String> rooms = new ArrayList<>(Arrays.asList("1001", "102", "101", "2单元101", "1单元1001", "1单元201", null,
				"201", "地下室", "1-2-301", "1-2-31"));
		rooms.sort(RoomOrder.ROOMS);
		// Texts that start with a unit ("1-2-…", "1单元…") sort by that unit first, as
		// natural order does.
		assertEquals(Arrays.asList("1-2-31", "1-2-301", "1单元201", "1单元1001", "2单元101", "101", "102", "201", "1001",
				"地下室", null), rooms);
	}

	@Test
	void leadingZerosAndLongNumbersCompareAsNumbers() {
		assertEquals(-1, Integer.signum(RoomOrder.compare("101", "0102")));
		assertEquals(-1, Integer.signum(RoomOrder.compare("99999999999999999999", "100000000000000000000")));
		assertEquals(-1, Integer.signum(RoomOrder.compare("B2", "B10")));
	}

}
