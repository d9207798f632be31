package org.fangxian.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.fangxian.IntegrationTest;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The phone-tail backfill's claim on a batch keeps other writers of the same rows out but
 * lets a row that refers to the resident (a gate scan's foreign-key check, a
 * {@code for key share}) go on while the batch is being filled (issue 17).
 */
class PhoneTailsClaimTest extends IntegrationTest {

	@Autowired
	PhoneTails tails;

	@Autowired
	ResidentService residents;

	@Autowired
	DataSource dataSource;

	@Test
	void aClaimedBatchBlocksWritersButNotKeyShareLocks() throws Exception {
		var tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		long id = this.residents.create(worker, new ResidentService.ResidentForm("李秀英", null, TestIdNumbers.next(),
				"13900001234", tree.communityA1().id(), "102", "户主", null, "常住", null));
		this.tails.backfill();
		this.jdbc.sql("update resident set phone_tail_hash = null where id = :id").param("id", id).update();

		try (Connection backfill = this.dataSource.getConnection(); Connection scan = this.dataSource.getConnection()) {
			backfill.setAutoCommit(false);
			try {
				List<Long> claimed = new ArrayList<>();
				try (PreparedStatement ps = backfill
					.prepareStatement(PhoneTails.CLAIM.replace(":n", String.valueOf(PhoneTails.BATCH)));
						ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						claimed.add(rs.getLong(1));
					}
				}
				assertThat(claimed).containsExactly(id);
				// What a foreign key's check takes: granted at once.
				assertThat(lock(scan, id, "for key share nowait")).isTrue();
				// Another node's claim, or an edit of the resident, waits for the batch.
				assertThatThrownBy(() -> lock(scan, id, "for no key update nowait")).isInstanceOf(SQLException.class)
					.satisfies(ex -> assertThat(((SQLException) ex).getSQLState()).isEqualTo("55P03"));
			}
			finally {
				backfill.rollback();
			}
		}
		assertThat(this.tails.backfill()).isEqualTo(1);
		assertThat(this.tails.pending()).isFalse();
	}

	private static boolean lock(Connection c, long id, String mode) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("select true from resident where id = ? " + mode)) {
			ps.setLong(1, id);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next();
			}
		}
	}

}
