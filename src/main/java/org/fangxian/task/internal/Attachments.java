package org.fangxian.task.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.fangxian.shared.InvalidInput;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Photos and PDFs kept with a task (a delivery photo, an inspection finding). The type is
 * read from the content, never from the name or the browser's word; a JPEG is decoded and
 * written again, which leaves its EXIF block (the phone's location) behind.
 */
@Component
public class Attachments {

	/** 5 MB: a phone photo, well above what a delivery proof needs. */
	public static final int MAX_BYTES = 5 * 1024 * 1024;

	/**
	 * 50 million pixels: the largest phone photos. A JPEG's header may claim far more in
	 * a few bytes (65,500 × 65,500), which decoding would try to allocate.
	 */
	static final long MAX_PIXELS = 50_000_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	Attachments(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** The content type of these bytes, or null when they are none of JPEG, PNG, PDF. */
	static String sniff(byte[] bytes) {
		if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
			return "image/jpeg";
		}
		if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
			return "image/png";
		}
		if (bytes.length >= 5 && bytes[0] == '%' && bytes[1] == 'P' && bytes[2] == 'D' && bytes[3] == 'F'
				&& bytes[4] == '-') {
			return "application/pdf";
		}
		return null;
	}

	/**
	 * A JPEG decoded and encoded again: pixels only, no metadata. Its size is read from
	 * its header first and refused beyond {@link #MAX_PIXELS}; a file the decoder chokes
	 * on, in whatever way, cannot be read.
	 */
	static byte[] withoutMetadata(byte[] jpeg) {
		try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				throw new InvalidInput("file", "task.attachment.unreadable");
			}
			ImageReader reader = readers.next();
			BufferedImage image;
			try {
				reader.setInput(in, true, true);
				if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
					throw new InvalidInput("file", "task.attachment.tooManyPixels", MAX_PIXELS / 10_000,
							MAX_PIXELS / 1_000_000);
				}
				image = reader.read(0);
			}
			finally {
				reader.dispose();
			}
			if (image.getType() != BufferedImage.TYPE_INT_RGB) {
				BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
				rgb.createGraphics().drawImage(image, 0, 0, null);
				image = rgb;
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(image, "jpg", out);
			return out.toByteArray();
		}
		catch (InvalidInput ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidInput("file", "task.attachment.unreadable");
		}
	}

	/** A file that passed the checks: its sniffed type and what is kept of it. */
	public record Checked(String contentType, byte[] content) {
	}

	/**
	 * The one gate for every file kept with a task or an inspection: present, at most
	 * {@link #MAX_BYTES}, a JPEG, PNG or PDF by its content; a JPEG comes back without
	 * its metadata.
	 */
	public static Checked check(byte[] bytes) {
		if (bytes == null || bytes.length == 0) {
			throw new InvalidInput("file", "task.attachment.required");
		}
		if (bytes.length > MAX_BYTES) {
			throw new InvalidInput("file", "task.attachment.tooLarge", MAX_BYTES / 1024 / 1024);
		}
		String type = sniff(bytes);
		if (type == null) {
			throw new InvalidInput("file", "task.attachment.type");
		}
		return new Checked(type, type.equals("image/jpeg") ? withoutMetadata(bytes) : bytes);
	}

	/** Checks and stores a file for a task the caller may act on; returns its id. */
	public long add(long taskId, Long accountId, byte[] bytes) {
		Checked checked = check(bytes);
		String type = checked.contentType();
		byte[] content = checked.content();
		return this.jdbc.sql("""
				insert into task_attachment (task_id, content_type, size, content, added_by, added_at)
				values (:task, :type, :size, :content, :by, :at) returning id""")
			.param("task", taskId)
			.param("type", type)
			.param("size", content.length)
			.param("content", content)
			.param("by", accountId)
			.param("at", Timestamp.from(this.clock.instant()))
			.query(Long.class)
			.single();
	}

	public int count(long taskId) {
		return this.jdbc.sql("select count(*) from task_attachment where task_id = :task")
			.param("task", taskId)
			.query(Integer.class)
			.single();
	}

}
