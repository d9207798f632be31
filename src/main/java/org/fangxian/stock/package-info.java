/**
 * Protective stock (防护物资): stores at a node of the tree, items with their units, a ledger
 * of every movement in and out with its reason, issues to people, low-stock alerts and
 * stock-takes; a balance never goes below zero.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Stock")
package org.fangxian.stock;
