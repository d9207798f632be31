package org.fangxian.registry;

/**
 * A shop (商铺) or enterprise (企业) in a compound or community; the contact phone is shown
 * masked.
 */
public record Establishment(long id, long nodeId, Kind kind, String name, String address, String contactName,
		String contactPhone, Integer staffCount) {

	public enum Kind {

		SHOP, ENTERPRISE

	}

}
