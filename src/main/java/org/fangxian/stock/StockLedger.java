package org.fangxian.stock;

import java.util.Optional;

/**
 * What other modules may do with protective stock: take kit out of the store nearest to a
 * place (workforce: the kit issued per shift). Written to the same ledger, under the same
 * lock, as every other movement.
 */
public interface StockLedger {

	/**
	 * Issues {@code quantity} of {@code item} to {@code recipient} from the store at the
	 * place's node or, failing one there, the nearest store up the tree.
	 * @param path the materialized path of the place ({@code /1/7/42/})
	 * @param actorId the account that recorded the issue, or null for a no-login check-in
	 * @return the movement written, or empty when no store holds the place
	 * @throws Shortage when the store holds less than asked (nothing is written)
	 * @throws org.fangxian.shared.InvalidInput when the item is unknown or the quantity
	 * not positive
	 */
	Optional<Issued> issueNearest(String path, String item, int quantity, String recipient, String reason,
			Long actorId);

	/** A movement out of a store: where it came from and what is left. */
	record Issued(long movementId, long storeId, String storeName, int balance) {
	}

}
