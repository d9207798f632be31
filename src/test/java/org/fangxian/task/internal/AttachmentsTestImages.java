package org.fangxian.task.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;

/** Photos for tests: a plain JPEG, and one carrying a location in an Exif block. */
public final class AttachmentsTestImages {

	private AttachmentsTestImages() {
	}

	public static byte[] jpeg() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpg", out);
		return out.toByteArray();
	}

	/** A JPEG with an APP1 Exif segment (holding "GPS") right after its start marker. */
	public static byte[] jpegWithExif() throws IOException {
		byte[] plain = jpeg();
		byte[] payload = "Exif\0\0GPS 31.2304N 121.4737E".getBytes(StandardCharsets.ISO_8859_1);
		int length = payload.length + 2;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(plain, 0, 2);
		out.write(new byte[] { (byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length });
		out.write(payload);
		out.write(plain, 2, plain.length - 2);
		return out.toByteArray();
	}

	/**
	 * A small JPEG whose frame header claims {@code width} × {@code height} pixels: what
	 * a decompression bomb looks like to a decoder that believes it.
	 */
	public static byte[] jpegClaiming(int width, int height) throws IOException {
		byte[] jpeg = jpeg();
		int at = 2;
		while (at + 9 < jpeg.length) {
			int marker = jpeg[at + 1] & 0xff;
			int length = ((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff);
			if (marker == 0xc0) {
				jpeg[at + 5] = (byte) (height >> 8);
				jpeg[at + 6] = (byte) height;
				jpeg[at + 7] = (byte) (width >> 8);
				jpeg[at + 8] = (byte) width;
				return jpeg;
			}
			at += 2 + length;
		}
		throw new IllegalStateException("no frame header");
	}

}
