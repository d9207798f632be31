package org.fangxian.stock;

/**
 * A movement would take a balance below zero: refused whole (409), nothing written.
 */
public class Shortage extends RuntimeException {

	private final String item;

	private final int balance;

	private final int requested;

	public Shortage(String item, int balance, int requested) {
		super("short of " + item + ": " + balance + " < " + requested);
		this.item = item;
		this.balance = balance;
		this.requested = requested;
	}

	public String item() {
		return this.item;
	}

	public int balance() {
		return this.balance;
	}

	public int requested() {
		return this.requested;
	}

}
