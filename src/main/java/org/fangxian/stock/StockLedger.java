package org.fangxian.stock;

/**
 * What other modules may do with protective stock: take kit out of the store nearest to a
 * place (workforce: the kit issued per shift at check-in). Written to the same ledger,
 * under the same row lock, as every other movement. It answers with an outcome rather
 * than an exception, so a caller's own transaction (a check-in) goes on when the store is
 * short.
 */
public interface StockLedger {

	/**
	 * Issues {@code quantity} of {@code item} to {@code recipient} from the store at the
	 * place's node or, failing one there, the nearest store up the tree.
	 * @param path the materialized path of the place ({@code /1/7/42/})
	 * @param actorId the account that recorded the issue, or null for a no-login check-in
	 */
	KitIssue issueNearest(String path, String item, int quantity, String recipient, String reason, Long actorId);

	/** Whether the catalogue holds an item of this name (to check a kit before use). */
	boolean knows(String item);

	enum Outcome {

		/** Booked: the store's balance is what is left. */
		ISSUED,
		/** The nearest store holds less than asked: nothing booked. */
		SHORT,
		/** No store at the place or above it: nothing booked. */
		NO_STORE,
		/** The catalogue has no such item: nothing booked. */
		UNKNOWN_ITEM

	}

	/** What became of one kit issue; store and balance are null without a store. */
	record KitIssue(Outcome outcome, Long storeId, String storeName, Integer balance, Long movementId) {
	}

}
