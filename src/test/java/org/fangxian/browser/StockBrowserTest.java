package org.fangxian.browser;

import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.stock.internal.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker's stock pages: the stores with their low marks, one store's balances
 * and ledger, an issue to a person and a refused overdraw, on the phone and the desktop.
 */
class StockBrowserTest extends BrowserTestSupport {

	@Autowired
	Stores stores;

	TestData.Tree tree;

	long storeId;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.storeId = this.stores.create(worker, new Stores.NewStore(this.tree.communityA1().id(), "福乐湾社区物资库", false))
			.id();
		this.stores.move(worker, this.storeId, new Stores.NewMovement("N95口罩", 200, "区指挥部调拨", null, null));
		this.stores.move(worker, this.storeId, new Stores.NewMovement("防护服", 40, "区指挥部调拨", null, null));
		this.stores.move(worker, this.storeId, new Stores.NewMovement("护目镜", 12, "街道调拨", null, null));
		this.stores.threshold(worker, this.storeId, new Stores.NewThreshold("防护服", 50));
		this.stores.move(worker, this.storeId, new Stores.NewMovement("防护服", -6, "北门卡点值班", "刘志强", null));
	}

	@Test
	void workerSeesBalancesLowMarksAndTheLedgerAndIssuesKit() {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/stock?code=" + this.tree.communityA1().code());
		assertThat(text("#stores")).contains("福乐湾社区物资库").contains("1 种不足");
		assertThat(text("#alerts")).contains("防护服").contains("剩 34，预警线 50 套");
		screenshot("stock-stores");

		open("/stock/stores/" + this.storeId);
		assertThat(text("#balances")).contains("N95口罩").contains("200");
		assertThat(texts("#balances tr.low td:first-child")).containsExactly("防护服");
		assertThat(text("#ledger")).contains("北门卡点值班").contains("-6");
		// The recipient's name is masked on screen.
		assertThat(text("#ledger")).doesNotContain("刘志强");

		driver.findElement(By.cssSelector("#move input[value=out]")).click();
		driver.findElement(By.id("move-item")).sendKeys("N95口罩");
		driver.findElement(By.id("move-quantity")).sendKeys("20");
		driver.findElement(By.id("move-reason")).sendKeys("入户排查领用");
		driver.findElement(By.id("move-recipient")).sendKeys("陈晓梅");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#move button[type=submit]")));
		assertThat(text("#balances")).contains("180");
		assertThat(text("#ledger")).contains("入户排查领用");
		screenshot("stock-store");

		// More than is there: refused with the balance, nothing booked.
		driver.findElement(By.cssSelector("#move input[value=out]")).click();
		driver.findElement(By.id("move-item")).sendKeys("护目镜");
		driver.findElement(By.id("move-quantity")).sendKeys("13");
		driver.findElement(By.id("move-reason")).sendKeys("卡点领用");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#move button[type=submit]")));
		assertThat(text(".alert.error")).contains("护目镜库存不足").contains("结存 12");
		screenshot("stock-shortage");
		assertThat(this.jdbc.sql("""
				select b.quantity from stock_balance b join stock_item i on i.id = b.item_id
				where b.store_id = :s and i.name = '护目镜'""").param("s", this.storeId).query(Integer.class).single())
			.isEqualTo(12);
	}

}
